"""Activity models, one module per family. Each module lists its models in __all__."""

from .comments import *  # noqa: F403
from .contests import *  # noqa: F403
from .originality import *  # noqa: F403
from .plans import *  # noqa: F403
from .reading import *  # noqa: F403
from .sessions import *  # noqa: F403
