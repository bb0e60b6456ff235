"""Notifications: one service sends a message for an event to a person on their channels."""
