"""The rights explorer, the quiz and "Ask a question". Public pages: no sign-in needed,
except to send a question on to a worker. Every page works without JavaScript (PRG)."""

from __future__ import annotations

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale

from voice.ask import answers as ask
from voice.auth.permissions import child_required, public
from voice.content import registry
from voice.rights import explorer, feedback, quiz
from voice.web.forms import CsrfOnlyForm
from voice.web.rights import bp
from voice.web.rights.forms import AskForm, FeedbackForm, QuizAnswerForm

ASK_KEY = "rights_ask"
QUIZ_KEY = "rights_quiz"


def _rights():
    return registry.get("rights")


def _faq() -> dict:
    return registry.get("faq")


def _linker() -> explorer.GlossaryLinker:
    return explorer.GlossaryLinker(
        _rights().glossary, lambda term_id: url_for("rights.words", _anchor=term_id)
    )


def _language() -> str:
    return str(get_locale() or "en")


def _help_body():
    return registry.get("pages")["help"].html(
        out_of_hours_phone=current_app.config["VOICE_OUT_OF_HOURS_PHONE"]
    )


# --- explorer ---------------------------------------------------------------------------


@bp.get("")
@public
def index():
    return render_template(
        "rights/index.html",
        principles=explorer.principle_cards(_rights()),
        articles=explorer.article_cards(_rights()),
    )


@bp.get("/words")
@public
def words():
    return render_template(
        "rights/words.html",
        entries=explorer.glossary(_rights()),
        feedback_form=FeedbackForm(),
        page_id=explorer.WORDS_PAGE,
    )


@bp.get("/<string:item_id>")
@public
def explainer(item_id: str):
    page = explorer.explainer(_rights(), item_id, _linker())
    if page is None:
        abort(404)
    return render_template("rights/explainer.html", page=page, feedback_form=FeedbackForm(), page_id=page.id)


@bp.post("/<string:item_id>/feedback")
@public
def give_feedback(item_id: str):
    if not explorer.page_exists(_rights(), item_id):
        abort(404)
    form = FeedbackForm()
    if not form.validate_on_submit():
        abort(400)
    feedback.record_feedback(item_id, form.was_helpful, _language())
    if item_id == explorer.WORDS_PAGE:
        return redirect(url_for("rights.words", feedback="thanks", _anchor="feedback"))
    return redirect(url_for("rights.explainer", item_id=item_id, feedback="thanks", _anchor="feedback"))


# --- quiz -------------------------------------------------------------------------------


def _quiz() -> quiz.Quiz:
    return registry.get("quiz")


def _question(number: int) -> quiz.Question:
    question = _quiz().question(number)
    if question is None:
        abort(404)
    return question


@bp.get("/quiz")
@public
def quiz_start():
    return render_template("rights/quiz_start.html", count=len(_quiz()))


@bp.route("/quiz/<int:number>", methods=["GET", "POST"])
@public
def quiz_question(number: int):
    question = _question(number)
    form = QuizAnswerForm.for_question(question)
    if form.validate_on_submit():
        correct = quiz.record_answer(question, form.answer.data)
        session[QUIZ_KEY] = {**_quiz_scores(), question.id: correct}
        return redirect(url_for("rights.quiz_answer", number=number, chosen=form.answer.data))
    return render_template(
        "rights/quiz_question.html", question=question, form=form, count=len(_quiz())
    ), 400 if form.errors else 200


@bp.get("/quiz/<int:number>/answer")
@public
def quiz_answer(number: int):
    question = _question(number)
    chosen = question.option(request.args.get("chosen", ""))
    if chosen is None:
        return redirect(url_for("rights.quiz_question", number=number))
    return render_template(
        "rights/quiz_answer.html",
        question=question,
        chosen=chosen,
        link=ask.link_for(question.link, _rights()),
        count=len(_quiz()),
    )


@bp.get("/quiz/done")
@public
def quiz_done():
    scores = _quiz_scores()
    return render_template(
        "rights/quiz_done.html", right=sum(scores.values()), answered=len(scores), count=len(_quiz())
    )


def _quiz_scores() -> dict[str, bool]:
    """This browser's own answers, for "you got 5 out of 7". Only true/false per question."""
    saved = session.get(QUIZ_KEY)
    ids = {q.id for q in _quiz().questions}
    if not isinstance(saved, dict):
        return {}
    return {k: v for k, v in saved.items() if k in ids and isinstance(v, bool)}


# --- ask a question ---------------------------------------------------------------------------


@bp.route("/ask", methods=["GET", "POST"])
@public
def ask_question():
    form = AskForm()
    if form.validate_on_submit():
        result = ask.answer_question(form.question.data, child=g.child, matcher=ask.matcher_for(_language()))
        session[ASK_KEY] = result.to_session()
        return redirect(url_for("rights.ask_answer"))
    if form.errors and "csrf_token" not in form.errors:
        # Too long to answer, but never too long to screen: same care as a chat answer.
        rescued = ask.screen_turned_away(request.form.get("question"), child=g.child)
        if rescued is not None:
            session[ASK_KEY] = rescued.to_session()
            return redirect(url_for("rights.ask_answer"))
    status = 413 if request.content_length and request.content_length > 64 * 1024 else 400
    return render_template("rights/ask.html", form=form), status if form.errors else 200


def _ask_result() -> ask.AskResult | None:
    return ask.AskResult.from_session(session.get(ASK_KEY), _faq())


@bp.get("/ask/answer")
@public
def ask_answer():
    result = _ask_result()
    if result is None or result.kind == ask.SENT:
        return redirect(url_for("rights.ask_question"))
    faq, rights, linker = _faq(), _rights(), _linker()
    return render_template(
        "rights/ask_answer.html",
        result=result,
        best=ask.topic_answer(faq[result.best], rights, linker) if result.best else None,
        others=[(t, ask.topic_title(faq[t])) for t in result.others],
        question=result.question_for(g.child),
        help_body=_help_body() if result.kind == ask.CONCERN else None,
        send_form=CsrfOnlyForm(),
    )


@bp.get("/answers/<string:topic_id>")
@public
def topic(topic_id: str):
    found = _faq().get(topic_id)
    if found is None:
        abort(404)
    result = _ask_result()
    question = result.question_for(g.child) if result is not None and result.kind != ask.SENT else None
    return render_template(
        "rights/topic.html",
        best=ask.topic_answer(found, _rights(), _linker()),
        question=question,
        send_form=CsrfOnlyForm(),
    )


@bp.post("/ask/send")
@child_required
def ask_send():
    result = _ask_result()
    question = result.question_for(g.child) if result is not None else None
    if not CsrfOnlyForm().validate_on_submit() or result is None:
        abort(400)
    if question is None:
        return redirect(url_for("rights.ask_sent" if result.kind == ask.SENT else "rights.ask_question"))
    submission = ask.send_question(g.child, question, reference=result.reference, language=_language())
    session[ASK_KEY] = result.sent(submission.reference).to_session()
    return redirect(url_for("rights.ask_sent"))


@bp.get("/ask/sent")
@child_required
def ask_sent():
    result = _ask_result()
    if result is None or result.kind != ask.SENT:
        return redirect(url_for("rights.ask_question"))
    return render_template("rights/ask_sent.html", reference=result.reference)
