"""Test doubles that run as real servers (fake Vertex AI), for unit, local-stack and chaos runs."""
