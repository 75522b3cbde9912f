"""Why a test failed, in words a learner can act on: the one translation of a learner's
error into feedback, used by the visible tests in the learner's kernel (``visible``) and by
the grader (``grader.grade``), so both say the same thing about the same mistake.

The words depend only on the error's type name and its message (``explain_error``), so an
error that reaches the grader from the learner's process by name alone gets the same words
as the error itself (``explain``). The grader adds only what its separate process brings:
a time limit, a process that ended, an object that stayed behind the process boundary.

Not every error raised while a test runs is the learner's: an event source mapping emulator
(``resilience.eventsources``) raises ``InvalidParameterValue`` for parameters Lambda would
refuse. Those are the parameters the learner's code produced, and the words say so.
"""

from __future__ import annotations

from resilience.checks import TooManyCalls

NOT_IMPLEMENTED = "Not implemented yet: the answer still raises NotImplementedError."
CALLED_EXIT = ("Your code called exit() (SystemExit) while a test called it. Code that ends "
               "its process cannot be tested, nor run inside a service: raise an exception or "
               "return instead.")
REFUSED_MAPPING = "Lambda would refuse this event source mapping (InvalidParameterValueException)"
# The errors with words of their own; a subclass gets its base's (UnboundLocalError: NameError).
# InvalidParameterValue (resilience.eventsources') is known by its name, here as across the
# grader's process boundary, where it arrives by name alone.
EXPLAINED = (AssertionError, TooManyCalls, NotImplementedError, NameError, SystemExit)


def explain_error(type_name: str, message: str | None, *, failed_cell: str | None = None) -> str:
    """The words for a learner's error of type ``type_name`` with ``message``, its
    ``str()``; None when the error is known by its name alone (it is then shown by its name
    alone). ``failed_cell`` says which answer cell raised when it ran, when that is known
    (the grader knows; a kernel does not): it is why a name is not defined."""
    text = message or ""
    if type_name == "AssertionError":  # a check failed: its message says what and why
        return text or "A check failed."
    if type_name == "TooManyCalls":  # a fake operation stopped a runaway loop: it says so
        return text
    if type_name == "NotImplementedError":
        return NOT_IMPLEMENTED
    if type_name == "NameError":
        hint = (f"Your answer cell did not run: {failed_cell}" if failed_cell else
                "Run its answer cell; check it still has that name.")
        return f"{text}. {hint}"
    if type_name == "SystemExit":
        return CALLED_EXIT
    if type_name == "InvalidParameterValue":  # an emulator refused the mapping's parameters
        return f"{REFUSED_MAPPING}: {text}"
    return f"Your code raised {type_name}" + ("" if message is None else f": {message}")


def explain(exc: BaseException, *, failed_cell: str | None = None) -> str:
    """The words for an error raised here, in this process: by the nearest of its classes
    that has words of its own (``EXPLAINED``), or else by its own name."""
    kind = next((cls for cls in type(exc).__mro__ if cls in EXPLAINED), type(exc))
    return explain_error(kind.__name__, str(exc), failed_cell=failed_cell)
