"""STEM4ALL Stories: the site's own logic as a Pelican plugin; only register() touches signals."""

from pelican import signals

from .plugin import (
    add_generators,
    add_reader,
    add_writer,
    apply_embargo,
    prepare_settings,
    read_in_name_order,
    save_reader_cache_later,
    save_reader_caches,
    setup_templates,
    stamp_from_digests,
)


def register():
    signals.initialized.connect(prepare_settings)
    signals.readers_init.connect(add_reader)
    signals.content_object_init.connect(apply_embargo)
    signals.get_generators.connect(add_generators)
    signals.generator_init.connect(setup_templates)
    signals.generator_init.connect(read_in_name_order)
    signals.generator_init.connect(save_reader_cache_later)
    signals.generator_init.connect(stamp_from_digests)  # the readers' cache
    signals.article_generator_preread.connect(stamp_from_digests)  # the generators' own, set up after generator_init
    signals.page_generator_preread.connect(stamp_from_digests)
    signals.finalized.connect(save_reader_caches)
    signals.get_writer.connect(add_writer)
