// Everything the mock builds about notifications, in one include for its users (the routes, the
// `multihook` CLI, partners' tests):
//
//   inbound_request.hpp     `POST /mock/inbound` bodies -> the notification to deliver
//   send_request.hpp        `POST /messages` validation and answer
//   cloud_api_envelope.hpp  the delivered envelope and the statuses of an outgoing message
//
// Behind them, internal to the codec: inbound_message (the message-type table), cloud_api_errors
// (the error catalogue), notification_fields (shared reading rules), fake_values (generated
// ids, numbers, names).
#pragma once

#include "mock_server/codec/cloud_api_envelope.hpp"
#include "mock_server/codec/inbound_request.hpp"
#include "mock_server/codec/send_request.hpp"
