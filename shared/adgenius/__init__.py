"""AdGenius: multi-tenant generation of advertising creatives."""

__version__ = "0.1.0"
