"""Evaluation: retrieval metrics and loaders for the dev sets in ../shared/eval."""
