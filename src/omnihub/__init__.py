"""omnihub: an async omnichannel customer-support messaging hub."""

__version__ = "0.1.0"
