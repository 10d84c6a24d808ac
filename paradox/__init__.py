"""The `paradox` command line: glue between the data layer, the analysis and the renderer."""
