"""The matchmaker app's models, one module per area, all re-exported here so the app
label, the migrations and ``from matchmaker.models import X`` keep working.

New models go in their area's module (or a new one) and are added to this list.
"""

from matchmaker.models.accounts import Profile
from matchmaker.models.append_only import AppendOnly
from matchmaker.models.audit import AuditAction, AuditEvent
from matchmaker.models.learning import LearnedWeights, SuggestionAnswer, SuggestionKind
from matchmaker.models.matching import (
    DEFAULT_WEIGHTS,
    ChunkKind,
    EngineSettings,
    KeptPair,
    Match,
    MatchStatus,
    PendingScoring,
    ScoringChunk,
    ScoringRun,
    default_weights,
)
from matchmaker.models.notifications import (
    Notification,
    NotificationKind,
    NotificationPreference,
)
from matchmaker.models.packages import Package, PackageMember
from matchmaker.models.review import (
    PACKAGE_REQUEST_MESSAGE,
    AccessLog,
    DeclineReason,
    Introduction,
    IntroductionState,
    MatchEvent,
    SavedView,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "PACKAGE_REQUEST_MESSAGE",
    "AccessLog",
    "AppendOnly",
    "AuditAction",
    "AuditEvent",
    "ChunkKind",
    "DeclineReason",
    "EngineSettings",
    "Introduction",
    "IntroductionState",
    "KeptPair",
    "LearnedWeights",
    "Match",
    "MatchEvent",
    "MatchStatus",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "Package",
    "PackageMember",
    "PendingScoring",
    "Profile",
    "SavedView",
    "ScoringChunk",
    "ScoringRun",
    "SuggestionAnswer",
    "SuggestionKind",
    "default_weights",
]
