"""Built-in searches; every module here is imported when a search name is first looked up."""
