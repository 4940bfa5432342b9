"""Email client support data (caniemail) and the targets a team writes for.

``resolve_targets`` turns specs such as ``gmail.*``, ``outlook.windows>=2013`` or
``global`` into targets; ``support_for`` says which of them lose a caniemail
feature and ``format_gaps`` says it in one line. See docs/clients.md.
"""

from linter.clients.data import (
    ClientInfo,
    Dataset,
    DataSource,
    Feature,
    Support,
    VersionStat,
    data_source,
    get_feature,
    list_clients,
    load_data,
)
from linter.clients.support import ClientGap, format_gaps, support_for
from linter.clients.targets import PRESETS, Mode, Preset, Target, VersionSelector, resolve_targets
from linter.clients.versions import Scheme, Version, parse_version, version_key

__all__ = [
    "PRESETS",
    "ClientGap",
    "ClientInfo",
    "DataSource",
    "Dataset",
    "Feature",
    "Mode",
    "Preset",
    "Scheme",
    "Support",
    "Target",
    "Version",
    "VersionSelector",
    "VersionStat",
    "data_source",
    "format_gaps",
    "get_feature",
    "list_clients",
    "load_data",
    "parse_version",
    "resolve_targets",
    "support_for",
    "version_key",
]
