"""The review calendar: importing children and review dates from the case system, the
statutory timetable, opening consultations before each review, and recording what was decided.

Nothing here imports ``flask.request``; the CLI and the staff pages call the same functions.
"""
