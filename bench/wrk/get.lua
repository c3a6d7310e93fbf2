-- GET one path with one cookie on every connection: the bare Flask page, a child's chat page,
-- a worker's inbox. Usage: wrk -s bench/wrk/get.lua URL -- <path> [cookie]
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "report.lua")

function init(args)
  path = args[1] or "/"
  headers = {}
  if args[2] then headers["Cookie"] = args[2] end
end

function request()
  return wrk.format("GET", path, headers)
end
