"""The one exception type for errors a user can fix."""

from __future__ import annotations


class NLIProbeError(Exception):
    """A problem the user can fix: bad input, an unknown name, a missing file.

    The CLI prints the message on one line and exits with status 2. The message must say what is
    wrong and where (file, line, field, name), and where it helps, how to fix it. Anything else
    raised is a bug and keeps its traceback.
    """


class NLIProbeWarning(UserWarning):
    """Something the user should know about a run that still goes on: a `--max-length` capped
    at the model's limit, a classification head that was never trained, a half precision the
    CPU only emulates (far slower than fp32). The CLI prints it on one line
    (`nli-probe: warning: ...`)."""
