"""omnihub's built-in channel connectors, one folder per channel.

A connector imports only ``omnihub.channels`` and ``omnihub.domain``; it never touches the database.
"""
