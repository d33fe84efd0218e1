"""Grading handed-in notebooks with the course's own checks (``course grade``).

``gradebook`` finds the submissions and writes the CSV and feedback files;
``submission`` grades one notebook; ``key`` holds the trusted side (the
course's check cells); ``execute`` runs a notebook with a time limit;
``text`` holds the messages.
"""
