{#- Incremental helpers.

    `landed_since_last_run()`: for a model reading a raw table, the filter that
    keeps only the files landed after those it already holds (landings are
    immutable and file ids increase), so each landed row is typed once. -#}
{% macro landed_since_last_run(column='_file_id') -%}
    {%- if is_incremental() -%}
        where {{ column }} > (select coalesce(max(held.file_id), 0) from {{ this }} as held)
    {%- endif -%}
{%- endmacro %}
