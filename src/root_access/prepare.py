"""One preparation step for every door: validate, resolve, preflight, resolve targets.

Every door into the engine (the CLI verbs, the Terraform entry scripts in ``scripts/``,
the Python API that cdktf stacks reach through those scripts) passes through
:func:`prepare` once per run:

1. validate the request (selection, account id, workers, session length, attempts,
   task-specific checks) with no AWS call (:class:`UsageError`);
2. resolve the region once (:func:`resolve_region`: the argument, then ``AWS_REGION``,
   ``AWS_DEFAULT_REGION``, the profile's; an empty string is unset) and refuse an STS
   endpoint override whose host names another region (:func:`check_sts_endpoint`);
3. run the preflight once (or reuse ``preflight_result``) and check the task's
   feature gates (:func:`root_access.preflight.require`): the gates AWS states refuse,
   the ones only assumed warn (``RunContext.warnings``, logged at WARNING);
4. resolve the targets once: unknown OU or account ids and the management account
   named explicitly raise :class:`UsageError`; each explicit account id is described
   once (``DescribeAccount``) and the description reused when the targets stream.

Doors build their caller session with :func:`open_session` (profile and region with
the same empty-means-unset rule). Sources: AWS SDKs and Tools Reference Guide,
"Region" and "Service-specific endpoints" (``AWS_REGION``, ``AWS_ENDPOINT_URL_STS``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.configprovider import ConstantProvider
from botocore.exceptions import ProfileNotFound

from root_access.arns import ACCOUNT_ID
from root_access.clients import (
    DEFAULT_MAX_ATTEMPTS,
    check_sts_endpoint,
    client_config,
    organizations_client,
    resolve_region,
    sts_endpoint_override,
    unset_if_empty,
    validate_max_attempts,
)
from root_access.errors import UsageError
from root_access.executor import DEFAULT_MAX_WORKERS, validate_max_workers
from root_access.preflight import Preflight, preflight, require
from root_access.selection import Selection
from root_access.sessions import DEFAULT_DURATION_SECONDS, validate_duration
from root_access.targeting import Target, check_selection, iter_targets, target_of
from root_access.tasks import RootTask

if TYPE_CHECKING:
    from mypy_boto3_organizations import OrganizationsClient

__all__ = [
    "RunContext",
    "check_sts_endpoint",
    "open_session",
    "prepare",
    "resolve_region",
    "resolve_targets",
    "sts_endpoint_override",
]

_log = logging.getLogger("root_access.prepare")


def open_session(
    *,
    profile: str | None = None,
    region: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> boto3.Session:
    """The caller's ``boto3.Session`` for a door: ``profile`` and ``region`` resolved.

    - profile: the argument, else ``AWS_PROFILE`` / ``AWS_DEFAULT_PROFILE`` as botocore
      reads them; an empty string (argument or environment) means unset (the default
      profile chain: environment keys, then ``[default]``).
    - region: :func:`resolve_region` order; the session carries it (``None`` when no
      source names one: :func:`prepare` then raises :class:`UsageError`).

    Raises :class:`UsageError` when the named profile does not exist.
    """
    env = os.environ if environ is None else environ
    profile = unset_if_empty(profile)
    core = botocore.session.Session()
    if profile is None and (env.get("AWS_PROFILE") == "" or env.get("AWS_DEFAULT_PROFILE") == ""):
        # botocore would look up a profile whose name is "": empty means unset.
        fallback = unset_if_empty(env.get("AWS_PROFILE")) or unset_if_empty(
            env.get("AWS_DEFAULT_PROFILE")
        )
        core.get_component("config_store").set_config_provider(
            "profile", ConstantProvider(fallback)
        )
    try:
        if profile is not None:
            core.set_config_variable("profile", profile)
        scoped = core.get_scoped_config()
    except ProfileNotFound:
        name = profile if profile is not None else core.get_config_variable("profile")
        raise UsageError(
            f"AWS profile {name!r} not found: check --profile or ~/.aws/config"
        ) from None
    chosen = (
        unset_if_empty(region)
        or unset_if_empty(env.get("AWS_REGION"))
        or unset_if_empty(env.get("AWS_DEFAULT_REGION"))
        or unset_if_empty(scoped.get("region"))
    )
    return boto3.Session(botocore_session=core, region_name=chosen)


@dataclass(frozen=True)
class RunContext:
    """What :func:`prepare` resolved for one run.

    - ``session``: the caller's session; ``region``: the run's region.
    - ``preflight``: the one preflight of the run.
    - ``task``: the root task, ``None`` for read-only verbs (status, enable plans).
    - ``selection``: the validated selection (multi-account runs), else ``None``.
    - ``account``: the described target of a single-account run, else ``None``.
    - ``warnings``: one line per feature gate that is only assumed and not enabled.
    - ``config``: the botocore ``Config`` of the run's clients (retries, pool size).
    """

    session: boto3.Session
    region: str
    preflight: Preflight
    task: RootTask | None = None
    selection: Selection | None = None
    account: Target | None = None
    warnings: tuple[str, ...] = ()
    config: Config = field(default_factory=client_config)
    max_workers: int = DEFAULT_MAX_WORKERS
    duration_seconds: int = DEFAULT_DURATION_SECONDS
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    _described: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def management_account_id(self) -> str:
        """The organization's management account id (from the preflight)."""
        return self.preflight.management_account_id

    def organizations(self) -> OrganizationsClient:
        """An Organizations client of the caller in the run's region."""
        return organizations_client(self.session, self.region, self.config)

    def targets(self) -> Iterator[Target]:
        """Stream the selection's targets (exclusions applied, skip reasons set).

        Explicit account ids reuse the ``DescribeAccount`` made by :func:`prepare`.
        """
        if self.selection is None:
            return iter(() if self.account is None else (self.account,))
        return iter_targets(
            self.organizations(),
            self.selection,
            management_account_id=self.management_account_id,
            described=self._described,
        )


def _account_id(account_id: object) -> str:
    if not isinstance(account_id, str) or ACCOUNT_ID.fullmatch(account_id) is None:
        raise UsageError(
            f"malformed account id {account_id!r}: account ids are 12-digit strings, "
            "e.g. 222222222222"
        )
    return account_id


def prepare(
    session: boto3.Session,
    *,
    task: RootTask | None = None,
    selection: Selection | None = None,
    account_id: str | None = None,
    region: str | None = None,
    max_workers: int = DEFAULT_MAX_WORKERS,
    duration_seconds: int = DEFAULT_DURATION_SECONDS,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    preflight_result: Preflight | None = None,
    validate: Callable[[], None] | None = None,
) -> RunContext:
    """Validate, resolve region and endpoints, preflight and resolve targets, once.

    ``selection`` (multi-account) and ``account_id`` (single account) are exclusive;
    neither is a read-only run (status, enable/disable plans). ``validate`` runs the
    caller's own input checks before any AWS call. ``preflight_result`` reuses an
    earlier preflight (no second round of calls; it is re-checked for ``task``).

    Raises :class:`UsageError` (bad input before any AWS call; unknown ids and the
    management account named explicitly after read-only Organizations calls) and
    :class:`PreflightError` (caller, organization, trusted access, a stated feature gate).
    Calls: the preflight's, then ``DescribeOrganizationalUnit`` / ``ListRoots`` per
    selected OU and ``DescribeAccount`` once per explicit account id.
    """
    if selection is not None and account_id is not None:
        raise UsageError("name either a selection or one account_id, not both")
    if selection is not None:
        selection.validate()
    if account_id is not None:
        _account_id(account_id)
    if validate is not None:
        validate()
    validate_max_workers(max_workers)
    validate_duration(duration_seconds)
    validate_max_attempts(max_attempts)
    resolved = resolve_region(session, region)
    check_sts_endpoint(resolved)
    checked = preflight_result or preflight(session, region=resolved)
    warnings: tuple[str, ...] = require(checked, task) if task is not None else ()
    for line in warnings:
        _log.warning("%s", line)
    management = checked.management_account_id
    config = client_config(max_attempts=max_attempts, pool=max_workers)
    context = RunContext(
        session=session,
        region=checked.region,
        preflight=checked,
        task=task,
        selection=selection,
        warnings=warnings,
        config=config,
        max_workers=max_workers,
        duration_seconds=duration_seconds,
        max_attempts=max_attempts,
    )
    if selection is not None:
        selection.validate(management_account_id=management)
        described = check_selection(context.organizations(), selection)
        return _with(context, _described=described)
    if account_id is not None:
        if account_id == management:
            raise UsageError(
                f"account {account_id} is the management account, which centralized root "
                "access does not cover: name a member account"
            )
        described = check_selection(context.organizations(), Selection(accounts=(account_id,)))
        return _with(context, account=target_of(described[account_id], management))
    return context


def resolve_targets(
    session: boto3.Session,
    *,
    selection: Selection,
    region: str | None = None,
    preflight_result: Preflight | None = None,
) -> Iterator[Target]:
    """The accounts ``selection`` resolves to, with skip reasons; read-only, no AssumeRoot.

    Validates like the task functions when called, through :func:`prepare`
    (:class:`UsageError` for bad input before any AWS call; unknown ids and the
    management account named explicitly after read-only Organizations calls), then
    streams :class:`Target` values. One preflight (none with ``preflight_result``) and
    one ``DescribeAccount`` per explicit account id.
    """
    return prepare(
        session, selection=selection, region=region, preflight_result=preflight_result
    ).targets()


def _with(context: RunContext, **changes: Any) -> RunContext:
    return replace(context, **changes)
