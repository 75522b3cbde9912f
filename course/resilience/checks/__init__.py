"""The checks behind the labs' tests, one module per lab.

A lab's test cell calls one check with the learner's function or class. A check raises
``AssertionError`` with a message that says what was expected, what happened and why it
matters; the same check runs in the learner's kernel (visible tests, nbgrader) and in the
grader, where the learner's code sits behind a process boundary.
"""


class TooManyCalls(BaseException):
    """Raised by a test's fake operation once code keeps calling it far past any sane bound.

    It derives from ``BaseException`` so that an ``except Exception`` in the learner's retry
    loop cannot swallow it and loop for ever.
    """


def expect(condition: bool, message: str) -> None:
    """Fail the check with a teaching message unless ``condition`` holds."""
    if not condition:
        raise AssertionError(message)
