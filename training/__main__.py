"""`python -m training [pattern|moment|safety ...]`: retrain the shipped models."""

from training.train import main

main()
