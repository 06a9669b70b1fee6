"""Storage backends for the knowledge base."""
