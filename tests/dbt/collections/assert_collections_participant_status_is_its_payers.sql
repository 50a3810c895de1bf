-- A participant with a payer has its payer's status; one without is unpaid.
with

participants as (

    select * from {{ ref('participants') }}

),

payers as (

    select * from {{ ref('payers') }}

)

select
    participants.participant_id,
    participants.payer_id,
    participants.participant_status,
    payers.payer_status
from participants
left join payers
    on participants.payer_id = payers.payer_id
where participants.participant_status is distinct from coalesce(payers.payer_status, 'unpaid')
