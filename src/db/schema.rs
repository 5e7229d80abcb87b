// Written by hand to match migrations/{sqlite,postgres}; both backends share it.

diesel::table! {
    units (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        kind -> Text,
        parent_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    templates (id) {
        id -> Text,
        key -> Text,
        version -> Integer,
        content_hash -> Text,
        title -> Text,
        source_path -> Text,
        source -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    campaigns (id) {
        id -> Text,
        name -> Text,
        template_id -> Text,
        period_start -> Date,
        period_end -> Date,
        status -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    campaign_units (campaign_id, unit_id) {
        campaign_id -> Text,
        unit_id -> Text,
    }
}

diesel::table! {
    responses (id) {
        id -> Text,
        campaign_id -> Text,
        unit_id -> Text,
        channel -> Text,
        submitted_on -> Date,
    }
}

diesel::table! {
    answers (response_id, item_code, seq) {
        response_id -> Text,
        item_code -> Text,
        seq -> Integer,
        value -> Nullable<Integer>,
        text_value -> Nullable<Text>,
    }
}

diesel::table! {
    tallies (campaign_id, unit_id, item_code, option_value) {
        campaign_id -> Text,
        unit_id -> Text,
        item_code -> Text,
        option_value -> Integer,
        n -> BigInt,
    }
}

diesel::table! {
    unit_counts (campaign_id, unit_id) {
        campaign_id -> Text,
        unit_id -> Text,
        respondents -> BigInt,
    }
}

diesel::table! {
    unit_targets (campaign_id, unit_id) {
        campaign_id -> Text,
        unit_id -> Text,
        transactions -> BigInt,
        target -> BigInt,
    }
}

diesel::table! {
    campaign_baselines (campaign_id) {
        campaign_id -> Text,
        previous_id -> Text,
    }
}

diesel::joinable!(campaigns -> templates (template_id));
diesel::joinable!(campaign_units -> campaigns (campaign_id));
diesel::joinable!(campaign_units -> units (unit_id));
diesel::joinable!(responses -> campaigns (campaign_id));
diesel::joinable!(answers -> responses (response_id));

diesel::allow_tables_to_appear_in_same_query!(
    units,
    templates,
    campaigns,
    campaign_units,
    responses,
    answers,
    tallies,
    unit_counts,
    unit_targets,
    campaign_baselines,
);
