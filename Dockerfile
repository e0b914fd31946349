# Builds the web app and examd, then runs examd on a small Debian base.
FROM node:20-bookworm AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/frontend/dist ./frontend/dist
RUN CGO_ENABLED=0 go build -trimpath -o /examd ./cmd/examd

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 examd && apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /examd /usr/local/bin/examd
USER examd
ENV ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["examd"]
CMD ["serve"]
