"""AWS Organizations centralized root access as code.

The engine behind the ``root-access`` CLI and the Terraform modules: it enables
``RootCredentialsManagement`` and ``RootSessions``, audits the root user of every
member account and performs the privileged root tasks through ``sts:AssumeRoot``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
