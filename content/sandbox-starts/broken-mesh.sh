# Bookinfo behind its gateway, with four faults for the troubleshooting challenge: ratings was
# taken out of the mesh and never put back; the team's routing pins ratings to a subset no
# DestinationRule defines; the reviews Service port was renamed `tcp`; and the policy on details
# names the wrong service account.
istioctl install --set profile=demo -y
kubectl label namespace default istio-injection=enabled
kubectl apply -f ~/samples/bookinfo/bookinfo.yaml
kubectl apply -f ~/samples/bookinfo/bookinfo-gateway.yaml
kubectl patch deployment ratings-v1 --patch-file ~/samples/troubleshooting/ratings-debug.yaml
kubectl apply -f ~/samples/troubleshooting/routing.yaml
kubectl apply -f ~/samples/troubleshooting/reviews-service.yaml
kubectl apply -f ~/samples/troubleshooting/details-policy.yaml
kubectl rollout status deployment ratings-v1 --timeout=300s
kubectl wait --for=condition=available deployment --all --timeout=300s
