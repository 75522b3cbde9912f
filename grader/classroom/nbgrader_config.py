"""nbgrader's exchange for a classroom on one machine: where learners fetch and submit.

Everyone's nbgrader reads this file: the instructor's and each learner's. Copy it into a
folder of Jupyter's configuration path that every user reads, e.g. the course's environment
(``.venv/etc/jupyter/``) or ``/etc/jupyter/``. The exchange folder must exist, writable by
everyone with the sticky bit (``install -d -m 1777 /srv/nbgrader/exchange``): nbgrader then
gives each course's ``inbound`` (submissions) and ``feedback`` folders modes that let a
learner drop files in but not list or read anyone else's.
"""

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - nbgrader provides it when it loads this file

c.CourseDirectory.course_id = "resilient-cloud-systems"  # grader/nbgrader_config.py's
c.Exchange.root = "/srv/nbgrader/exchange"
