-- MetricFlow's time spine: one row per day, from well before the first
-- landed record to well after the as-of date, so that cumulative and
-- windowed metrics have every day to land on. Not a reporting series: the
-- marts' day series start at the first offer and end at the as-of date.
with

days as (

    select {{ day_series("cast('2020-01-01' as date)", "cast('2035-12-31' as date)") }} as date_day

),

final as (

    select cast(date_day as date) as date_day
    from days

)

select * from final
