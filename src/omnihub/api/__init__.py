"""The REST API: routers, dependencies, schemas and error handling."""
