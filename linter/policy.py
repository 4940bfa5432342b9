"""The team's policy that checks read: tracking, links, compliance and merge-tag settings.

These come from the config file's sections of the same names; defaults are what a
team gets before it agrees anything more specific.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, NamedTuple


class TrackingPolicy(NamedTuple):
    pixel_required: bool = False
    # Hosts that serve the agreed open-tracking pixel, e.g. "t.example-esp.com".
    pixel_hosts: tuple[str, ...] = ()
    # UTM parameter -> allowed values (empty list: any non-empty value).
    utm: Mapping[str, tuple[str, ...]] = MappingProxyType({})  # read-only: one for all
    # Link hosts that need the UTM tags; empty: every http(s) link except unsubscribe/pixel.
    utm_hosts: tuple[str, ...] = ()


class LinksPolicy(NamedTuple):
    staging_hosts: tuple[str, ...] = ()


class CompliancePolicy(NamedTuple):
    postal_address_required: bool = False
    # Text that must appear (e.g. the street line of the sender's address); empty: any
    # street-address-like text counts.
    postal_address: str = ""


class MergeTagsPolicy(NamedTuple):
    # Which dialect the ESP speaks: "auto" (any), or one of mergetags.DIALECTS.
    dialect: Literal["auto", "curly", "mailchimp", "ampscript", "brackets", "smarty"] = "auto"
    # Tag names the data provides; empty: any name is allowed.
    allowed: tuple[str, ...] = ()
    # Whether {{ name | default: "…" }} fallbacks are available (Liquid, Jinja, …).
    fallbacks: bool = False


class AccessibilityPolicy(NamedTuple):
    # The content language (BCP 47, e.g. "en", "pt-BR") the ACC001 fix writes on <html>;
    # empty: the team has not said, so presend does not guess one.
    lang: str = ""


class ClientsPolicy(NamedTuple):
    # Target clients for the client-support standard: globs over family.platform,
    # version selectors and presets (see docs/clients.md). "global" = the clients
    # that dominate opens.
    targets: tuple[str, ...] = ("global",)


class MessagePolicy(NamedTuple):
    # Characters of Subject an inbox shows before cutting it (.eml; rule MSG004).
    subject_max_length: int = 60


class Policy(NamedTuple):
    clients: ClientsPolicy = ClientsPolicy()
    tracking: TrackingPolicy = TrackingPolicy()
    links: LinksPolicy = LinksPolicy()
    compliance: CompliancePolicy = CompliancePolicy()
    merge_tags: MergeTagsPolicy = MergeTagsPolicy()
    # Header names of the contact files linted in the same run (not a config key): a
    # template checked together with its data must only read columns the data has.
    contact_columns: tuple[str, ...] = ()
    accessibility: AccessibilityPolicy = AccessibilityPolicy()
    message: MessagePolicy = MessagePolicy()
    # Where contact_columns came from when no contact file was in the run: the agreed
    # schema the config names ("" means the contact files themselves).
    contact_columns_source: str = ""
