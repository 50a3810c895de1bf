-- Sigma's Connect-Capital section names this table `connected_account_financing_offers`: the same rows and
-- columns as `financing_offers`, so that a query written for either section runs.
{{ config(materialized='view') }}
with

financing_offers as (

    select * from {{ ref('financing_offers') }}

)

select * from financing_offers
