{#- Lists the months whose booked revenue share differs from what was earned
    (a warning: the provider's booking is theirs to explain). -#}
{% test earnings_reconcile(model) %}

select month, currency, revshare_earned_amount, booked_amount, difference
from {{ model }}
where difference <> 0

{% endtest %}
