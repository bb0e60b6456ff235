"""The notification channel plugins, one module each (imported by ``NotifyConfig.ready``)."""
