"""`python -m training`: retrain the understanding heads (safety: training.safety_heads)."""

import sys

from training.understanding_heads import main

sys.exit(main())
