"""What a handler gets besides its parameters, and what it may answer with."""
from .errors import failed


class Context:
    def __init__(self, lab, user, no_worker=False):
        self.lab = lab
        self.user = user            # the token id, e.g. root@pam!homelab (never plain root@pam)
        self.no_worker = no_worker  # fault "no-worker-upid": the fork of the worker fails
        self.upload = None          # the received file of an upload call (multipart.Upload)

    def start_task(self, kind, ident, work, on_error=None, first_lines=()):
        """Starts a worker (lab lock held), or fails like a fork that did not report back."""
        if self.no_worker:
            raise failed("got no worker upid - start worker failed")
        return self.lab.tasks.start(kind, ident, self.user, work, on_error, first_lines)


class Reply:
    """A success answer with top-level keys beside `data` (e.g. the task log's `total`)."""

    def __init__(self, data, **extra):
        self.data = data
        self.extra = extra
