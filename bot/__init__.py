"""Mizban: the messenger front of the electronic service desk (aiogram assembly)."""
