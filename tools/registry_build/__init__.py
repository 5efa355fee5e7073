"""The build of the shipped default registry, one module per job.

``tools/build_default_registry.py`` is the command-line entry point; ``document.build`` runs
the steps. The modules, in the order the data flows through them:

- ``config``: paths and identities of the sources, and the configuration tables of vCards,
  xdtianyu/PhoneNumber and ``public_numbers_cn.csv``, known shared numbers, label rules;
- ``hotlines_config``: the configuration table of ``hotlines_cn.csv`` (one entry per row);
- ``parsing``: reading CSV files, statuses, numbers (merge keys), URLs' hosts, names as ids;
- ``drafts``: organisations and numbers while merging, and how each becomes a model;
- ``merge_hotlines``: steps 1 and 3, the hotlines_cn rows and the numbers in their notes;
- ``merge_vcards``: step 2, metowolf/vCards;
- ``merge_public``: step 4, ``public_numbers_cn.csv``;
- ``merge_xdtianyu``: step 5, xdtianyu/PhoneNumber;
- ``home_areas``: step 6, local 96xxx codes placed in the organisation's home area;
- ``merge_names``: step 7, ``aliases_cn.csv`` and ``domains_cn.csv``;
- ``conflicts``: step 8, shared numbers, and organisations renamed since the previous build;
- ``document``: ``build`` (the steps in order) and ``render`` (the committed JSON).
"""
