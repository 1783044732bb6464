"""Stand-in Terraform providers (plugin protocol 6, PyPI ``tf``) served from the mirror.

``external``: ``hashicorp/external`` 2.4.0's ``external`` data source, same protocol.
``aws``: the slice of ``hashicorp/aws`` the project's modules use, through boto3.
"""

from __future__ import annotations

__all__: list[str] = []
