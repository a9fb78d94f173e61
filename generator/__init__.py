"""factsheet: YAML fact records to a bilingual (Persian/English) static site.

The core (model, load, validate, dates, text, render) never imports MkDocs;
``generator.plugin`` and ``generator.engine`` are the only engine glue.
"""

__version__ = "0.1.0"
