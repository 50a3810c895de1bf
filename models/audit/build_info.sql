-- What the marts were built for: one row, rewritten by every build. Exports
-- and the dashboard read the as-of date here.
select
    {{ as_of_date() }} as as_of_date,
    '{{ var("reporting_timezone", "UTC") }}' as reporting_timezone,
    cast({{ var('capital_revshare_rate') }} as decimal(9, 6)) as capital_revshare_rate,
    {{ as_instant("cast('" ~ run_started_at.strftime("%Y-%m-%d %H:%M:%S") ~ "' as timestamp)") }} as built_at,
    '{{ invocation_id }}' as invocation_id
