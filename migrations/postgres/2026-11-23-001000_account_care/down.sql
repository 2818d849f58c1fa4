DROP TABLE kept_forms;
DROP TABLE alert_tokens;
DROP TABLE known_devices;
DROP TABLE account_preferences;
