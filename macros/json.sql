{#- JSON handling, parsed once per landed line.

    `parse_json_record(column, structure)` turns a landed NDJSON line into a
    struct in one pass. Every leaf is read as text and typed afterwards with
    the strict `parse_*` macros, so `12.5` or `"abc"` where an integer amount
    belongs is a rejection, not a silent rounding. A line that is not JSON
    gives NULL. -#}
{% macro parse_json_record(column, structure) -%}
    {{ return(adapter.dispatch('parse_json_record', 'club_warehouse')(column, structure)) }}
{%- endmacro %}

{% macro duckdb__parse_json_record(column, structure) -%}
    json_transform(try_cast({{ column }} as json), '{{ tojson(structure) }}')
{%- endmacro %}

{#- Spark: `from_json` with the structure as a DDL type. It gives a struct of
    NULLs for text that is not JSON, so the line is first checked to be JSON
    (DuckDB's `try_cast(... as json)`), and the JSON `null` is NULL too. -#}
{% macro spark__parse_json_record(column, structure) -%}
    case
        when get_json_object({{ column }}, '$') is not null and trim({{ column }}) <> 'null'
            then from_json({{ column }}, '{{ _spark_json_type(structure) }}')
    end
{%- endmacro %}

{% macro _spark_json_type(structure) -%}
    {%- if structure is mapping -%}
        struct<{%- for key, value in structure.items() -%}
            `{{ key }}`: {{ _spark_json_type(value) }}{{ ', ' if not loop.last }}
        {%- endfor -%}>
    {%- else -%}
        {{ {'VARCHAR': 'string'}[structure] }}
    {%- endif -%}
{%- endmacro %}

{#- A CSV row kept whole, as a JSON object of its cells (text as landed). -#}
{% macro record_as_json(columns) -%}
    {{ return(adapter.dispatch('record_as_json', 'club_warehouse')(columns)) }}
{%- endmacro %}

{% macro duckdb__record_as_json(columns) -%}
    cast(to_json({ {%- for column in columns %}'{{ column }}': {{ column }}{{ ', ' if not loop.last }}{% endfor -%} }) as varchar)
{%- endmacro %}

{#- Spark's `to_json` leaves NULL fields out unless told; DuckDB writes `null`. -#}
{% macro spark__record_as_json(columns) -%}
    to_json(
        named_struct({%- for column in columns %}'{{ column }}', {{ column }}{{ ', ' if not loop.last }}{% endfor -%}),
        map('ignoreNullFields', 'false')
    )
{%- endmacro %}

{#- A JSON object of string keys and values, as normalised JSON text (`{}`
    when empty); NULL when `text` is NULL or not a JSON object. Values that are
    not strings read as their text. -#}
{% macro json_object_text(text) -%}
    {{ return(adapter.dispatch('json_object_text', 'club_warehouse')(text)) }}
{%- endmacro %}

{% macro duckdb__json_object_text(text) -%}
    case
        when json_type(try_cast({{ text }} as json)) = 'OBJECT'
            then cast(to_json(json_transform(try_cast({{ text }} as json), '"MAP(VARCHAR, VARCHAR)"')) as varchar)
    end
{%- endmacro %}

{% macro spark__json_object_text(text) -%}
    case
        when substr(ltrim({{ text }}), 1, 1) = '{' then to_json(from_json({{ text }}, 'map<string, string>'))
    end
{%- endmacro %}
