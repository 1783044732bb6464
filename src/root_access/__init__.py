"""AWS Organizations centralized root access as code.

The engine behind the ``root-access`` CLI and the Terraform modules: it enables
``RootCredentialsManagement`` and ``RootSessions``, audits the root user of every
member account and performs the privileged root tasks through ``sts:AssumeRoot``.

Every function takes a ``boto3.Session`` for the caller (the management account or the
IAM delegated administrator) and keyword-only options; see ``docs/architecture.md``.
"""

from root_access.audit import audit
from root_access.clients import DEFAULT_MAX_ATTEMPTS
from root_access.delete import delete_credentials
from root_access.enable import EnableResult, disable, enable
from root_access.errors import PreflightError, RootAccessError, UsageError
from root_access.executor import DEFAULT_MAX_WORKERS
from root_access.journal import Journal, completed_accounts, request_digest, should_resume
from root_access.outcomes import Outcome
from root_access.preflight import Preflight, preflight
from root_access.prepare import RunContext, open_session, prepare, resolve_targets
from root_access.recovery import allow_password_recovery
from root_access.results import (
    AccountResult,
    AccountSummary,
    ComplianceResult,
    CredentialResult,
    Summary,
    summarize,
)
from root_access.selection import Selection
from root_access.sessions import DEFAULT_DURATION_SECONDS, assume_root
from root_access.targeting import Target
from root_access.tasks import FEATURES, ROOT_CREDENTIALS_MANAGEMENT, ROOT_SESSIONS, RootTask
from root_access.unlock_s3 import unlock_s3_bucket_policy
from root_access.unlock_sqs import unlock_sqs_queue_policy

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_DURATION_SECONDS",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_MAX_WORKERS",
    "FEATURES",
    "ROOT_CREDENTIALS_MANAGEMENT",
    "ROOT_SESSIONS",
    "AccountResult",
    "AccountSummary",
    "ComplianceResult",
    "CredentialResult",
    "EnableResult",
    "Journal",
    "Outcome",
    "Preflight",
    "PreflightError",
    "RootAccessError",
    "RootTask",
    "RunContext",
    "Selection",
    "Summary",
    "Target",
    "UsageError",
    "__version__",
    "allow_password_recovery",
    "assume_root",
    "audit",
    "completed_accounts",
    "delete_credentials",
    "disable",
    "enable",
    "open_session",
    "preflight",
    "prepare",
    "request_digest",
    "resolve_targets",
    "should_resume",
    "summarize",
    "unlock_s3_bucket_policy",
    "unlock_sqs_queue_policy",
]
