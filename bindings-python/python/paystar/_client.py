"""The clients, as the native module defines them (their stubs, generated from core, are in
``_client.pyi``)."""

from paystar._native import AsyncClient, Client

__all__ = ["AsyncClient", "Client"]
