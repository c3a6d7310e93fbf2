-- A child's conversation turn, on every connection: GET the chat page, then POST an answer
-- with the CSRF token, node and version read from that page. Post/redirect/get: the 302 is
-- not followed; the next GET is the next turn. One connection per thread, and each connection
-- is its own children (their cookies), so no two connections touch one conversation.
-- When a child's chat is finished, the connection moves on to its next child; with none left
-- it changes an earlier answer (the page's "Change" link), so the loop never runs dry.
--
-- Usage: wrk -t N -c N -s bench/wrk/turn.lua URL -- <datafile> <N>
-- The data file has one line per child: <chat path><TAB><Cookie header>; connection i takes
-- lines i, i+N, i+2N, ...
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "report.lua")

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

local children, current = {}, 0
local chat, cookie, base, target, form
local nextreq = "get"

local function next_child()
  current = current + 1
  local child = children[current]
  if not child then return false end
  chat, base = child[1], child[2]
  cookie, target, form, nextreq = base, chat, nil, "get"
  return true
end

function init(args)
  local every = tonumber(args[2])
  local n = 0
  for line in io.lines(args[1]) do
    if n % every == id - 1 then
      local path, header = line:match("([^\t]+)\t(.+)")
      table.insert(children, {path, header})
    end
    n = n + 1
  end
  assert(next_child(), "no children for connection " .. id)
end

local function field(body, name)
  return body:match('name="' .. name .. '" value="([^"]*)"')
end

function request()
  if nextreq == "post" and form then
    return wrk.format("POST", chat, {
      ["Cookie"] = cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, form)
  end
  return wrk.format("GET", target, {["Cookie"] = cookie})
end

function response(status, headers, body)
  -- Flask's session cookie carries the CSRF secret: keep it, as a browser would.
  local set = headers["Set-Cookie"]
  local session = set and set:match("^voice=([^;]*)")
  if session then
    cookie = base .. "; voice=" .. session
  end
  if nextreq == "post" then
    nextreq, target, form = "get", chat, nil
    return
  end
  local node = body and field(body, "node")
  if node then
    local answer = field(body, "answer")
    local value = answer and ("answer=" .. answer) or "answer=Fine%20thanks"
    form = "csrf_token=" .. field(body, "csrf_token") .. "&node=" .. node ..
           "&version=" .. field(body, "version") .. "&action=answer&" .. value
    if field(body, "then") then form = form .. "&then=review" end
    nextreq = "post"
  elseif not next_child() then
    -- finished and no fresh child left: change an earlier answer, and so on
    local change = body and body:match('href="(/chat/[^"]+/change/[^"]+)"')
    target = change or chat
    nextreq = "get"
  end
end
