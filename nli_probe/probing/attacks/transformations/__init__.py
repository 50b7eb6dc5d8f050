"""Built-in transformations; every module here is imported when a transformation name is first
looked up."""
