CREATE INDEX "change_requests_submitted_idx" ON "change_requests" USING btree ("submitted_at");--> statement-breakpoint
CREATE INDEX "change_requests_decided_idx" ON "change_requests" USING btree ("decided_at");--> statement-breakpoint
CREATE INDEX "decisions_created_idx" ON "decisions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "request_steps_completed_idx" ON "request_steps" USING btree ("completed_at");--> statement-breakpoint
CREATE INDEX "request_steps_waiting_idx" ON "request_steps" USING btree ("opened_at") WHERE "request_steps"."status" = 'pending';