from tests.mailin.support import mail_in

__all__ = ["mail_in"]
