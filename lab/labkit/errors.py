"""Errors the double answers with, shaped like pveproxy's: status, a reason phrase that is the
first line of the message, and for parameter errors an `errors` map."""


class ApiError(Exception):
    """An error raised inside an API handler: answered as JSON {"data": null, "message", "errors"?}."""

    def __init__(self, status, message, errors=None):
        super().__init__(message)
        self.status = status
        self.message = message if message.endswith("\n") else message + "\n"
        self.errors = errors

    @property
    def reason(self):
        return self.message.split("\n", 1)[0]


class ServerError(Exception):
    """An error raised by the HTTP layer itself (chunked body, size limit, failed upload):
    answered with a plain-text body, like pve-http-server does outside the API handler."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message.rstrip("\n")


def param_error(errors):
    """400 'Parameter verification failed.' with per-parameter texts."""
    return ApiError(400, "Parameter verification failed.", errors)


def failed(message):
    """The common case: a handler `die`s with plain text, which pveproxy turns into a 500."""
    return ApiError(500, message)


class TaskError(Exception):
    """A worker's failure: becomes the task's exitstatus and `TASK ERROR: ...` log line."""
