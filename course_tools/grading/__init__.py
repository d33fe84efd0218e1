"""Grading handed-in notebooks with the course's own checks (``course grade``).

``gradebook`` writes the CSVs and feedback; ``collect`` finds the submissions
and who is missing; ``submission`` grades one notebook; ``key`` holds the
trusted side (the course's check cells); ``execute`` runs a notebook's kernel;
``isolate`` runs the exercises' probes in a fresh process of their own
(``probe``) and judges their records here (its threat model is in
``isolate``); ``sandbox`` wraps both processes in bubblewrap and ``prlimit``;
``text`` holds the messages; ``lms`` reads Moodle's and Canvas's names,
``lms_roster`` their roster exports, ``lms_export`` writes their import files and
``lms_command`` holds ``--lms``; ``autograder`` writes a Gradescope autograder zip,
whose ``run_autograder`` runs ``autograder_run`` (with ``autograder_reap`` and
``autograder_text``); ``predictions`` reads a notebook's predictions without running it,
``prediction_report`` (with ``prediction_text``) writes the class report beside the gradebook.
"""
