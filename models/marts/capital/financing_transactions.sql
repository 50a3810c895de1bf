-- Sigma's Capital section names this table `financing_transactions`: the same rows and
-- columns as `connected_account_financing_transactions`, so that a query written for either section runs.
{{ config(materialized='view') }}
with

connected_account_financing_transactions as (

    select * from {{ ref('connected_account_financing_transactions') }}

)

select * from connected_account_financing_transactions
