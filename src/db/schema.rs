// Written by hand to match migrations/{sqlite,postgres}; both backends share it.

diesel::table! {
    units (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        kind -> Text,
        parent_id -> Nullable<Text>,
        created_at -> Timestamp,
        valid_from -> Nullable<Date>,
        valid_to -> Nullable<Date>,
    }
}

diesel::table! {
    unit_links (new_unit_id, old_unit_id) {
        new_unit_id -> Text,
        old_unit_id -> Text,
        part -> Bool,
        share -> Nullable<Double>,
        note -> Text,
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
        service_code -> Nullable<Text>,
        choices -> Text,
    }
}

diesel::table! {
    campaign_services (campaign_id, code) {
        campaign_id -> Text,
        code -> Text,
        name -> Text,
    }
}

diesel::table! {
    submission_keys (key) {
        key -> Text,
        campaign_id -> Text,
        created_on -> Date,
    }
}

diesel::table! {
    device_submissions (device_id, campaign_id) {
        device_id -> Text,
        campaign_id -> Text,
        n -> BigInt,
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

// Accounts, API keys, login throttle, audit log and shared secrets.
diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        password_hash -> Text,
        role -> Text,
        unit_id -> Nullable<Text>,
        disabled -> Bool,
        session_epoch -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    login_throttle (login) {
        login -> Text,
        failures -> Integer,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        name -> Text,
        key_hash -> Text,
        prefix -> Text,
        role -> Text,
        unit_id -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        at -> Timestamp,
        actor -> Text,
        action -> Text,
        target -> Text,
        detail -> Text,
    }
}

diesel::table! {
    secrets (name) {
        name -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(campaigns -> templates (template_id));
diesel::joinable!(campaign_units -> campaigns (campaign_id));
diesel::joinable!(campaign_units -> units (unit_id));
diesel::joinable!(responses -> campaigns (campaign_id));
diesel::joinable!(answers -> responses (response_id));

diesel::allow_tables_to_appear_in_same_query!(
    units,
    unit_links,
    templates,
    campaigns,
    campaign_units,
    responses,
    answers,
    tallies,
    unit_counts,
    campaign_services,
    submission_keys,
    device_submissions,
    users,
    login_throttle,
    api_keys,
    audit_log,
    secrets,
    unit_targets,
    campaign_baselines,
);

// Sample targets and baselines.
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

// Personal links, handed out by API or sent by email.
diesel::table! {
    invitations (id) {
        id -> Text,
        campaign_id -> Text,
        unit_id -> Text,
        channel -> Text,
        token_hash -> Text,
        service_code -> Nullable<Text>,
        dossier_id -> Nullable<Text>,
        email -> Nullable<Text>,
        respondent_group -> Nullable<Text>,
        status -> Text,
        status_detail -> Nullable<Text>,
        answered_on -> Nullable<Date>,
        progress -> Nullable<Text>,
        created_on -> Date,
        opted_out_on -> Nullable<Date>,
    }
}

// Paper data entry.
diesel::table! {
    entry_batches (id) {
        id -> Text,
        campaign_id -> Text,
        unit_id -> Text,
        entered_by -> Text,
        started_at -> Timestamp,
        forms -> BigInt,
    }
}

// The durable outbox.
diesel::table! {
    outbox_messages (id) {
        id -> Text,
        invitation_id -> Text,
        kind -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_by -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(outbox_messages -> invitations (invitation_id));
diesel::allow_tables_to_appear_in_same_query!(outbox_messages, invitations);

// Results over a period are grouped from the answers.
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    responses::unit_id,
    answers::item_code,
    answers::value,
);

diesel::table! {
    breakdown_tallies (campaign_id, unit_id, dim_code, dim_value, item_code, option_value) {
        campaign_id -> Text,
        unit_id -> Text,
        dim_code -> Text,
        dim_value -> Integer,
        item_code -> Text,
        option_value -> Integer,
        n -> BigInt,
    }
}

// A campaign's own mail wording.
diesel::table! {
    campaign_mail_wording (campaign_id, kind) {
        campaign_id -> Text,
        kind -> Text,
        subject -> Text,
        body -> Text,
        updated_at -> Timestamp,
    }
}

// Short links typed from posters.
diesel::table! {
    short_links (code) {
        code -> Text,
        campaign_id -> Text,
        unit_id -> Text,
        service_code -> Text,
    }
}

// Respondents per unit and day, for the dashboard.
diesel::table! {
    unit_day_counts (campaign_id, unit_id, day) {
        campaign_id -> Text,
        unit_id -> Text,
        day -> Date,
        respondents -> BigInt,
    }
}

// Published campaigns.
diesel::table! {
    campaign_publications (campaign_id) {
        campaign_id -> Text,
        published_on -> Date,
    }
}
