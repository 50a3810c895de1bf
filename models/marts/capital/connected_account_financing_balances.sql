-- Sigma's Connect-Capital section names this table `connected_account_financing_balances`: the same rows and
-- columns as `financing_balances`, so that a query written for either section runs.
{{ config(materialized='view') }}
with

financing_balances as (

    select * from {{ ref('financing_balances') }}

)

select * from financing_balances
